import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { provisionDatabase } from "@/lib/db/provision";
import { auditServerLogs } from "./support/log-audit";
import { startMailbox } from "./support/mailbox";
import { E2E_SERVER_ENV, LAUNCHER, ROOT, SERVER, startServer } from "./support/server";
import { DEV_IDP_ADMIN_GROUP, DEV_IDP_CLIENT, startDevIdp } from "../../scripts/dev-idp";

/**
 * A fresh database and a production server for the run. Playwright's `webServer` starts before global setup, so
 * the tests could not learn its database; here the tests get DATABASE_URL (to create their own users) and the
 * server gets the same database through scripts/with-db.ts (migrations, demo accounts, build when needed).
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL ?? "http://localhost:3100";
  const port = new URL(baseURL).port;

  const database = await provisionDatabase({
    externalUrl: process.env.DATABASE_URL?.trim() || undefined,
    ephemeral: true,
    dataDir: path.join(ROOT, ".data"),
  });
  process.env.DATABASE_URL = database.url;
  if (database.secrets) {
    process.env.SESSION_SECRET = database.secrets.SESSION_SECRET;
    process.env.CRON_SECRET = database.secrets.CRON_SECRET;
    process.env.MFA_ENCRYPTION_KEY = database.secrets.MFA_ENCRYPTION_KEY;
  }

  // A real OpenID provider on loopback for the SSO tests; the tests learn its address from the environment.
  const idp = await startDevIdp({ appOrigin: baseURL });
  const sso = {
    SSO_ISSUER_URL: idp.issuer,
    SSO_CLIENT_ID: DEV_IDP_CLIENT.id,
    SSO_CLIENT_SECRET: DEV_IDP_CLIENT.secret,
    SSO_DISPLAY_NAME: "Test IdP",
    SSO_ADMIN_GROUP: DEV_IDP_ADMIN_GROUP,
  };
  Object.assign(process.env, { E2E_SSO_ISSUER: idp.issuer });

  // A real SMTP server on loopback: alert mail and new-device notices land in test-results/mailbox.
  const mailbox = await startMailbox();
  const mail = { SMTP_URL: mailbox.url, ALERT_EMAIL_TO: "security@growbal.test" };
  Object.assign(process.env, { E2E_SMTP_URL: mailbox.url });

  let server;
  try {
    server = await startServer({
      command: [...LAUNCHER, "--build-if-needed", "--", ...SERVER],
      baseURL,
      env: { ...E2E_SERVER_ENV, ...sso, ...mail, PORT: port, APP_URL: baseURL },
      log: "e2e-server.log",
    });
  } catch (error) {
    await mailbox.stop();
    await idp.stop();
    await database.release();
    throw error;
  }

  return async () => {
    await server.stop();
    await idp.stop();
    await mailbox.stop();
    try {
      await auditServerLogs(database.url);
    } finally {
      await database.release();
    }
  };
}
