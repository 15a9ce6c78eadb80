/**
 * User operations: npm run user -- <command> …
 *   create <username> [--admin]        asks for the password (or reads GROWBAL_PASSWORD)
 *   reset-password <username>          asks for the new password (or reads GROWBAL_PASSWORD); ends their sessions
 *   disable <username> | enable <username>   disabling ends every session of that user at once
 *   delete <username>                  ends their sessions, then removes the account and its chats
 *   set-role <username> <user|admin>
 *   unlock <username|address>          lifts sign-in locks and delays for that username or IP address
 *   reset-mfa <username>               removes their passkeys, authenticator app and recovery codes; ends their sessions
 */
import { createInterface } from "node:readline/promises";
import { getConfig } from "../lib/config";
import { createPool } from "../lib/db/client";
import { createUser, deleteUser, resetPassword, setDisabled, setRole, UserError } from "../lib/auth/users";
import { liftLoginLocks, parseUnlockTarget } from "../lib/auth/throttle-gate";
import { endSessions } from "../lib/sessions/end-sessions";
import { findUserByUsername } from "../lib/auth/users";
import { resetSecondFactors } from "../lib/mfa/factors";
import { recordEvent } from "../lib/monitor/events";

const USAGE = `usage: npm run user -- create <username> [--admin]
       npm run user -- reset-password <username>
       npm run user -- disable <username>
       npm run user -- enable <username>
       npm run user -- delete <username>
       npm run user -- set-role <username> <user|admin>
       npm run user -- unlock <username|address>
       npm run user -- reset-mfa <username>`;

async function readPassword(prompt: string): Promise<string> {
  const fromEnv = process.env.GROWBAL_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UserError("invalid", "No password given: set GROWBAL_PASSWORD or run in a terminal.");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed.
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  const write = output._writeToOutput.bind(rl);
  let prompted = false;
  output._writeToOutput = (s: string) => {
    if (!prompted) {
      write(s);
      prompted = true;
      return;
    }
    if (s.includes("\n")) write("\n");
  };
  const answer = await rl.question(prompt);
  rl.close();
  return answer;
}

async function main() {
  const [command, username, extra] = process.argv.slice(2);
  if (!command || !username) {
    console.error(USAGE);
    process.exit(2);
  }
  const pool = createPool(getConfig().DATABASE_URL!, 2);
  const db = pool.db;
  try {
    switch (command) {
      case "create": {
        const role = process.argv.includes("--admin") ? "admin" : "user";
        const user = await createUser(db, { username, password: await readPassword("Password: "), role });
        console.log(`Created ${user.role} "${user.username}".`);
        break;
      }
      case "reset-password": {
        const password = await readPassword("New password: ");
        const user = await db.transaction(async (tx) => {
          // The operator's recovery path: the password given here is the one to use (the admin page forces a change).
          const updated = await resetPassword(tx, username, password, { mustChange: false });
          await endSessions(tx, { userId: updated.id }, "password_changed", { now: new Date() });
          return updated;
        });
        console.log(`Password of "${user.username}" changed; their sessions were ended.`);
        break;
      }
      case "reset-mfa": {
        const user = await findUserByUsername(db, username);
        if (!user) throw new UserError("not_found", `No user named "${username}".`);
        const ended = await db.transaction(async (tx) => {
          const now = new Date();
          const count = await resetSecondFactors(tx, user.id, { now, by: null });
          await recordEvent(
            tx,
            "mfa_reset",
            { subject: user.username, at: now, details: { accountId: user.id, by: "cli", endedSessions: count } },
            { essential: true },
          );
          return count;
        });
        console.log(
          `Two-step verification of "${user.username}" reset; ${ended} session(s) ended. They set it up again at their next sign-in.`,
        );
        break;
      }
      case "disable":
      case "enable": {
        const disabled = command === "disable";
        const { user, endedSessions } = await setDisabled(db, username, disabled);
        console.log(disabled ? `Disabled "${user.username}"; ${endedSessions} session(s) ended.` : `Enabled "${user.username}".`);
        break;
      }
      case "delete": {
        const ended = await deleteUser(db, username);
        console.log(`Deleted "${username}"; ${ended} session(s) ended.`);
        break;
      }
      case "set-role": {
        if (!extra) throw new UserError("invalid", "Give the role: user or admin.");
        const user = await setRole(db, username, extra);
        console.log(`"${user.username}" is now ${user.role}.`);
        break;
      }
      case "unlock": {
        const target = parseUnlockTarget(username);
        await liftLoginLocks(db, target, { userId: null, now: new Date() });
        console.log(
          "username" in target ? `Sign-in locks for "${target.username}" lifted.` : `Sign-in locks for address ${target.address} lifted.`,
        );
        break;
      }
      default:
        console.error(USAGE);
        process.exitCode = 2;
    }
  } catch (error) {
    console.error(error instanceof UserError ? error.message : `Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await pool.sql.end();
  }
}

void main();
