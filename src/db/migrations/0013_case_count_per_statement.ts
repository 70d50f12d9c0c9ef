// Frozen in time: never edit after release; add a new migration instead.
// PostgreSQL only: the live-case count (0010) moves once per statement instead of once per row. A
// per-row trigger updated the same project row for each case a statement inserted, so a batch of 2000
// results creating 2000 cases rewrote that row 2000 times in one transaction (each update walking the
// row's growing chain of versions): ~420 ms a batch. Statement triggers read the rows from transition
// tables and update each project once. SQLite has no statement triggers; its per-row ones stay.
import { type Kysely, PostgresAdapter, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger cases_count on cases`.execute(db);
  await sql`drop function verdict_cases_count()`.execute(db);
  await sql`create function verdict_cases_count_insert() returns trigger language plpgsql as $$
    begin
      update projects p set cases_count = p.cases_count + d.n
        from (select project_id, count(*) as n from new_rows where deleted_at is null group by project_id) d
        where p.id = d.project_id;
      return null;
    end $$`.execute(db);
  await sql`create function verdict_cases_count_delete() returns trigger language plpgsql as $$
    begin
      update projects p set cases_count = p.cases_count - d.n
        from (select project_id, count(*) as n from old_rows where deleted_at is null group by project_id) d
        where p.id = d.project_id;
      return null;
    end $$`.execute(db);
  // Deleting (deleted_at set) and restoring (cleared) are updates; other updates change nothing here.
  await sql`create function verdict_cases_count_update() returns trigger language plpgsql as $$
    begin
      update projects p set cases_count = p.cases_count + d.n
        from (
          select n.project_id,
                 sum(case when (o.deleted_at is null) = (n.deleted_at is null) then 0
                          when n.deleted_at is null then 1 else -1 end) as n
            from new_rows n join old_rows o on o.project_id = n.project_id and o.id = n.id
            group by n.project_id
        ) d
        where p.id = d.project_id and d.n <> 0;
      return null;
    end $$`.execute(db);
  await sql`create trigger cases_count_insert after insert on cases
    referencing new table as new_rows for each statement execute function verdict_cases_count_insert()`.execute(
    db,
  );
  await sql`create trigger cases_count_delete after delete on cases
    referencing old table as old_rows for each statement execute function verdict_cases_count_delete()`.execute(
    db,
  );
  await sql`create trigger cases_count_update after update on cases
    referencing old table as old_rows new table as new_rows
    for each statement execute function verdict_cases_count_update()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const t of ["insert", "delete", "update"]) {
    await sql.raw(`drop trigger cases_count_${t} on cases`).execute(db);
    await sql.raw(`drop function verdict_cases_count_${t}()`).execute(db);
  }
  await sql`create function verdict_cases_count() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        if new.deleted_at is null then
          update projects set cases_count = cases_count + 1 where id = new.project_id;
        end if;
      elsif tg_op = 'DELETE' then
        if old.deleted_at is null then
          update projects set cases_count = cases_count - 1 where id = old.project_id;
        end if;
      elsif (old.deleted_at is null) <> (new.deleted_at is null) then
        update projects set cases_count = cases_count + (case when new.deleted_at is null then 1 else -1 end)
          where id = new.project_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger cases_count after insert or delete or update of deleted_at on cases
    for each row execute function verdict_cases_count()`.execute(db);
}
