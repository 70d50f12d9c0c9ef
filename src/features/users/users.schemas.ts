import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema } from "../../http/envelope.js";
import { RowId } from "../../http/schema-bounds.js";

/** Qase's User ({id, name, email, title, status}) plus Verdict's role and active flag. */
export const User = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  role: Type.String(),
  is_active: Type.Boolean(),
  created_at: Type.String(),
});

export const UserIdParams = Type.Object({ id: RowId });

export const UserCreateBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 255 }),
  role: Type.Union([
    Type.Literal("owner"),
    Type.Literal("admin"),
    Type.Literal("member"),
    Type.Literal("viewer"),
  ]),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
});

export const UserUpdateBody = Type.Object({
  role: Type.Optional(UserCreateBody.properties.role),
  is_active: Type.Optional(Type.Boolean()),
});

export const UserResponse = OkSchema(User);
export const UserList = ListSchema(User);
