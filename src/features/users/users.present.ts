import { iso } from "../../db/time.js";
import type { UserRow } from "./users.repository.js";

export function presentUser(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    title: "",
    status: u.is_active === 1 ? 1 : 0,
    role: u.role,
    is_active: u.is_active === 1,
    created_at: iso(u.created_at) ?? "",
  };
}
