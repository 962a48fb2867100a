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
CREATE INDEX `run_shares_status_idx` ON `run_shares` (`status`);