DROP INDEX "security_events_user_at_idx";--> statement-breakpoint
DROP INDEX "security_events_ip_at_idx";--> statement-breakpoint
DROP INDEX "security_events_subject_at_idx";--> statement-breakpoint
CREATE INDEX "security_events_user_at_idx" ON "security_events" USING btree ("user_id","at") WHERE "security_events"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "security_events_ip_at_idx" ON "security_events" USING btree ("ip","at") WHERE "security_events"."ip" is not null;--> statement-breakpoint
CREATE INDEX "security_events_subject_at_idx" ON "security_events" USING btree ("subject","at") WHERE "security_events"."subject" is not null;