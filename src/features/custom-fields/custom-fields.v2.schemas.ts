import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema } from "../../http/envelope.js";
import { CustomField } from "./custom-fields.schemas.js";

/** An option as v2 names it (CustomFieldOption): Verdict keeps id and title, the rest Qase may leave null. */
const Option = Type.Object({ id: Type.Integer(), title: Type.String() });

/**
 * v2's CustomField: v1's without `created`/`updated`, and `value` as a list of options rather than a
 * JSON text (null for types without options).
 */
export const CustomFieldV2 = Type.Composite([
  Type.Omit(CustomField, ["created", "updated", "value"]),
  Type.Object({ value: Type.Union([Type.Array(Option), Type.Null()]) }),
]);

export const FieldV2Response = OkSchema(CustomFieldV2);
export const FieldV2List = ListSchema(CustomFieldV2);
