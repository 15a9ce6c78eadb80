CREATE TABLE "cleanup_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cleanup_settings_single_row" CHECK ("cleanup_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "cleanup_settings" ADD CONSTRAINT "cleanup_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;