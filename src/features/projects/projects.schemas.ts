import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId } from "../../http/schema-bounds.js";

export const ProjectCodeParams = Type.Object({ code: Code });

export const Project = Type.Object({
  title: Type.String(),
  code: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  access: Type.String(),
  /** Verdict: project settings, e.g. auto_create_cases (cases made for unmatched automated results). */
  settings: Type.Record(Type.String(), Type.Unknown()),
  counts: Type.Object({
    cases: Type.Integer(),
    suites: Type.Integer(),
    milestones: Type.Integer(),
    runs: Type.Object({ total: Type.Integer(), active: Type.Integer() }),
    defects: Type.Object({ total: Type.Integer(), open: Type.Integer() }),
  }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const ProjectCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  code: Type.String({ minLength: 2, maxLength: 10 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 10000 }), Type.Null()])),
  access: Type.Optional(Type.Union([Type.Literal("all"), Type.Literal("group"), Type.Literal("none")])),
  group: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { maxProperties: 100 })),
});

/** Verdict extension (Qase has no project update): title, description, access, settings (merged). */
export const ProjectUpdateBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 10000 }), Type.Null()])),
    access: Type.Optional(Type.Union([Type.Literal("all"), Type.Literal("group"), Type.Literal("none")])),
    settings: Type.Optional(
      Type.Object({ auto_create_cases: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    ),
  },
  { minProperties: 1 },
);

/** Verdict extension: a user granted access to the project (GET /v1/project/{code}/access). */
export const ProjectMember = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  is_active: Type.Boolean(),
  granted_at: Type.String(),
});
export const ProjectMemberList = ListSchema(ProjectMember);

export const ProjectAccessBody = Type.Object({ member_id: RowId });

export const ProjectResponse = OkSchema(Project);
export const ProjectList = ListSchema(Project);
export const ProjectCodeResponse = OkSchema(Type.Object({ code: Type.String() }));
