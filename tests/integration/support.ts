import { randomBytes } from "node:crypto";
import { createUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import type { User } from "@/lib/db/schema";

/** A user with a unique name and a strong password. */
export async function makeUser(role: "user" | "admin" = "user"): Promise<User & { password: string }> {
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const user = await createUser(getDb(), { username: `u_${randomBytes(5).toString("hex")}`, password, role });
  return { ...user, password };
}
