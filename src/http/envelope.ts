import { type TSchema, Type } from "@sinclair/typebox";

/** `{status: true, result}`: the Qase success envelope. */
export function ok<T>(result: T): { status: true; result: T } {
  return { status: true, result };
}

export function OkSchema<T extends TSchema>(result: T) {
  return Type.Object({ status: Type.Literal(true), result });
}

export const StatusOnlySchema = Type.Object({ status: Type.Boolean() });

/** Qase list page: total in the collection, filtered by the query, count on this page. */
export interface Page<T> {
  total: number;
  filtered: number;
  count: number;
  entities: T[];
}

export function ListSchema<T extends TSchema>(entity: T) {
  return OkSchema(
    Type.Object({
      total: Type.Integer(),
      filtered: Type.Integer(),
      count: Type.Integer(),
      entities: Type.Array(entity),
    }),
  );
}

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
});

export function page<T>(entities: T[], total: number, filtered: number = total): Page<T> {
  return { total, filtered, count: entities.length, entities };
}
