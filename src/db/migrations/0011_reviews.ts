// Frozen in time: never edit after release; add a new migration instead.
// Case reviews: a proposed new case or a proposed edit of one, with assigned reviewers and their verdicts.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const time = db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
  const project = (c: any) => c.notNull().references("projects.id").onDelete("cascade");

  await db.schema
    .createTable("reviews")
    .addColumn("project_id", "integer", project)
    .addColumn("id", "integer", (c: any) => c.notNull())
    .addColumn("title", "text", (c: any) => c.notNull())
    // create | edit
    .addColumn("type", "text", (c: any) => c.notNull())
    // open | merged | declined
    .addColumn("status", "text", (c: any) => c.notNull().defaultTo("open"))
    // The reviewed case; for a create review, the case its merge created.
    .addColumn("case_id", "integer")
    .addColumn("author_id", "integer")
    // The proposed case fields as JSON, only those the proposal carries.
    .addColumn("proposal", "text", (c: any) => c.notNull())
    // Who merged or declined it and when; the case version a merge produced.
    .addColumn("closed_by", "integer")
    .addColumn("closed_at", time)
    .addColumn("merged_version", "integer")
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .addPrimaryKeyConstraint("reviews_pk", ["project_id", "id"])
    .execute();
  await db.schema
    .createIndex("reviews_status")
    .on("reviews")
    .columns(["project_id", "status", "id"])
    .execute();
  await db.schema.createIndex("reviews_case").on("reviews").columns(["project_id", "case_id"]).execute();

  // Reviewers in the order they were assigned; status is unapproved | approved | changes_requested.
  await db.schema
    .createTable("review_reviewers")
    .addColumn("project_id", "integer", project)
    .addColumn("review_id", "integer", (c: any) => c.notNull())
    .addColumn("user_id", "integer", (c: any) => c.notNull())
    .addColumn("position", "integer", (c: any) => c.notNull())
    .addColumn("status", "text", (c: any) => c.notNull().defaultTo("unapproved"))
    .addPrimaryKeyConstraint("review_reviewers_pk", ["project_id", "review_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("review_reviewers_user")
    .on("review_reviewers")
    .columns(["project_id", "user_id", "review_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["review_reviewers", "reviews"]) await db.schema.dropTable(t).execute();
}
