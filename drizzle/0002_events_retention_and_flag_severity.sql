ALTER TABLE "auth_sessions" ADD COLUMN "suspicious_severity" text;--> statement-breakpoint
-- Sessions flagged before severities were kept were flagged by HIGH alerts (no rule raises CRITICAL yet).
UPDATE "auth_sessions" SET "suspicious_severity" = 'high' WHERE "suspicious_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "security_alerts_open_subject_idx" ON "security_alerts" USING btree ("subject") WHERE "security_alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "security_events_at_idx" ON "security_events" USING btree ("at");--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_suspicious_severity_check" CHECK ("auth_sessions"."suspicious_severity" in ('high', 'critical'));--> statement-breakpoint
-- Rows written before addresses were validated may hold longer strings.
UPDATE "security_events" SET "ip" = left("ip", 64) WHERE char_length("ip") > 64;--> statement-breakpoint
ALTER TABLE "security_events" ADD CONSTRAINT "security_events_ip_length_check" CHECK (char_length("security_events"."ip") <= 64);