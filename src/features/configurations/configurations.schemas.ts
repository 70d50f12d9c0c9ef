import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema } from "../../http/envelope.js";
import { RowId } from "../../http/schema-bounds.js";

const Title = Type.String({ minLength: 1, maxLength: 255 });

export const ConfigurationCreateBody = Type.Object({
  title: Title,
  group_id: RowId,
});
export const ConfigurationGroupCreateBody = Type.Object({ title: Title });

export const ConfigurationGroup = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  configurations: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
});

/** Every group of the project on one page: reporters look groups up by title in this list. */
export const ConfigurationList = ListSchema(ConfigurationGroup);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
