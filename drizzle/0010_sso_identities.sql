CREATE TABLE "identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "auth_sessions" DROP CONSTRAINT "auth_sessions_revoke_reason_check";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD COLUMN "sso_identity_id" uuid;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD COLUMN "idp_session_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "identities_issuer_subject_key" ON "identities" USING btree ("issuer","subject");--> statement-breakpoint
CREATE INDEX "identities_user_idx" ON "identities" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_sso_identity_id_identities_id_fk" FOREIGN KEY ("sso_identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auth_sessions_sso_identity_idx" ON "auth_sessions" USING btree ("sso_identity_id") WHERE "auth_sessions"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_revoke_reason_check" CHECK ("auth_sessions"."revoke_reason" in ('absolute_timeout', 'reauth_required', 'idle_timeout', 'mfa_pending', 'ip_changed', 'user_agent_changed', 'country_not_allowed', 'logout', 'superseded', 'upgraded', 'rotated', 'concurrency_limit', 'password_changed', 'role_changed', 'user_disabled', 'user_deleted', 'admin_forced', 'admin_criteria', 'revoked_by_user', 'reported_not_me', 'expired', 'orphaned', 'suspicious', 'anonymous_limit', 'idp_logout'));