CREATE TABLE `run_shares` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`server_url` text NOT NULL,
	`code` text NOT NULL,
	`token` text NOT NULL,
	`client_id` text NOT NULL,
	`nickname` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text,
	`remote_run_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_shares_target_idx` ON `run_shares` (`run_id`,`server_url`,`code`);--> statement-breakpoint
CREATE INDEX `run_shares_status_idx` ON `run_shares` (`status`);--> statement-breakpoint
CREATE TABLE `workshop_participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workshop_id` integer NOT NULL,
	`client_id` text NOT NULL,
	`nickname` text NOT NULL,
	`phase` text NOT NULL,
	`done` integer,
	`total` integer,
	`detail` text,
	`joined_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_participants_client_idx` ON `workshop_participants` (`workshop_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `workshop_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workshop_id` integer NOT NULL,
	`run_id` integer NOT NULL,
	`upload_key` text NOT NULL,
	`client_id` text NOT NULL,
	`nickname` text NOT NULL,
	`uploaded_at` integer NOT NULL,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_runs_upload_key_idx` ON `workshop_runs` (`upload_key`);--> statement-breakpoint
CREATE INDEX `workshop_runs_workshop_idx` ON `workshop_runs` (`workshop_id`);--> statement-breakpoint
CREATE TABLE `workshops` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`suite_name` text NOT NULL,
	`suite` text NOT NULL,
	`models` text NOT NULL,
	`token_sha256` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshops_code_idx` ON `workshops` (`code`);