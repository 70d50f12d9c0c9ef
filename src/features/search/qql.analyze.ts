import {
  type AnalyzeEnv,
  and,
  type Cond,
  emptiness,
  guardColumn,
  isNull,
  NEGATION,
  not,
  type PositiveOp,
  positive,
  TRUE,
  twoValued,
} from "./qql.conditions.js";
import { QqlError } from "./qql.errors.js";
import { ENTITIES, ENTITY_DEFS, type Entity, type Field, fieldNames, fieldOf } from "./qql.fields.js";
import type { Operator } from "./qql.lexer.js";
import type { Expr, FieldRef, Query, Value } from "./qql.parser.js";

export type { AnalyzeEnv, Cond } from "./qql.conditions.js";

export interface SearchPlan {
  entity: Entity;
  where: Cond;
  order: { col: string; desc: boolean }[];
}

class Analyzer {
  constructor(
    private readonly entity: Entity,
    private readonly env: AnalyzeEnv,
  ) {}

  private field(ref: FieldRef): Field {
    if (ref.name.toLowerCase() === "entity") {
      throw new QqlError(ref.pos, 'entity may appear only once, as a top-level condition joined with "and"');
    }
    const f = fieldOf(this.entity, ref.name);
    if (!f) {
      throw new QqlError(
        ref.pos,
        `unknown field "${ref.name}" for entity "${this.entity}"; fields: ${fieldNames(this.entity).join(", ")}`,
      );
    }
    return f;
  }

  private leaf(ref: FieldRef, op: Operator | "in" | "notin", values: Value[]): Cond {
    const f = this.field(ref);
    const negated = NEGATION[op as Operator | "notin"];
    const pos = negated ?? (op as PositiveOp);
    const c = twoValued(f, positive(f, { field: ref, op: pos, values, env: this.env }));
    if (negated === undefined) return c;
    const guard = guardColumn(f);
    return guard === null ? not(c) : and(not(isNull(guard)), not(c));
  }

  expr(e: Expr): Cond {
    switch (e.kind) {
      case "and":
      case "or":
        return { k: e.kind, items: e.items.map((i) => this.expr(i)) };
      case "not":
        return not(this.expr(e.item));
      case "compare":
        return this.leaf(e.field, e.op, [e.value]);
      case "in":
        return this.leaf(e.field, e.negated ? "notin" : "in", e.values);
      case "empty": {
        const c = emptiness(this.field(e.field));
        return e.negated ? not(c) : c;
      }
      case "is": {
        const f = this.field(e.field);
        if (f.type !== "bool" && f.type !== "present") {
          throw new QqlError(
            e.pos,
            `"is true" and "is false" apply to true/false fields, not ${e.field.name}`,
          );
        }
        return this.leaf(e.field, e.negated ? "!=" : "=", [{ kind: "bool", value: e.value, pos: e.pos }]);
      }
    }
  }

  orderColumn(ref: FieldRef): string {
    const f = this.field(ref);
    switch (f.type) {
      case "project":
        return "e.project_id";
      case "runStatus":
        return "e.status";
      case "tags":
        throw new QqlError(ref.pos, `cannot order by ${ref.name}`);
      default:
        return f.col;
    }
  }
}

/** Where an entity condition hides inside or/not, for a helpful error. */
function nestedEntity(e: Expr): FieldRef | undefined {
  if (e.kind === "and" || e.kind === "or") {
    for (const i of e.items) {
      const f = nestedEntity(i);
      if (f) return f;
    }
    return undefined;
  }
  if (e.kind === "not") return nestedEntity(e.item);
  return "field" in e && e.field.name.toLowerCase() === "entity" ? e.field : undefined;
}

/** Splits off the one top-level `entity = "..."` condition. */
function entityOf(where: Expr): { entity: Entity; rest: Expr[] } {
  const items = where.kind === "and" ? where.items : [where];
  const found: { entity: Entity; index: number }[] = [];
  items.forEach((item, index) => {
    if (item.kind !== "compare" || item.field.name.toLowerCase() !== "entity") return;
    if (item.op !== "=" || item.value.kind !== "string") {
      throw new QqlError(
        item.field.pos,
        `entity takes = and one of ${ENTITIES.map((e) => `"${e}"`).join(", ")}`,
      );
    }
    const name = item.value.value.trim().toLowerCase();
    const entity = ENTITIES.find((e) => e === name);
    if (!entity) {
      const hint = name === "requirement" ? " (requirements are not part of Verdict)" : "";
      throw new QqlError(
        item.value.pos,
        `unknown entity "${item.value.value}"${hint}; use one of ${ENTITIES.join(", ")}`,
      );
    }
    found.push({ entity, index });
  });
  if (found.length === 0) {
    const nested = nestedEntity(where);
    if (nested) {
      throw new QqlError(
        nested.pos,
        'entity must be a top-level condition joined with "and"; wrap the rest in parentheses: entity = "case" and (a or b)',
      );
    }
    throw new QqlError(
      1,
      `the query must name its entity, e.g. entity = "case" and ...; entities: ${ENTITIES.join(", ")}`,
    );
  }
  if (found.length > 1) {
    const second = items[(found[1] as { index: number }).index] as Extract<Expr, { kind: "compare" }>;
    throw new QqlError(second.field.pos, "entity is given more than once");
  }
  const index = (found[0] as { index: number }).index;
  return { entity: (found[0] as { entity: Entity }).entity, rest: items.filter((_, i) => i !== index) };
}

export function analyze(q: Query, env: AnalyzeEnv): SearchPlan {
  const { entity, rest } = entityOf(q.where);
  const a = new Analyzer(entity, env);
  const where = rest.length === 0 ? TRUE : and(...rest.map((e) => a.expr(e)));
  const order = q.orderBy.map((o) => ({ col: a.orderColumn(o.field), desc: o.desc }));
  // Then results newest first (someone looking at failures wants the latest); the rest by project and id.
  if (entity === "result") order.push({ col: ENTITY_DEFS.result.key, desc: true });
  else order.push({ col: "e.project_id", desc: false }, { col: ENTITY_DEFS[entity].key, desc: false });
  return { entity, where, order };
}
