import { Type } from "@sinclair/typebox";

/** A project code as it appears in a route path (`/v1/case/{code}`). */
export const Code = Type.String({ minLength: 1, maxLength: 10 });
export const CodeParams = Type.Object({ code: Code });
