CREATE TABLE `thread_calibrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hardware_fingerprint` text NOT NULL,
	`build_id` text NOT NULL,
	`size_class` text NOT NULL,
	`prompt_threads` integer NOT NULL,
	`gen_threads` integer NOT NULL,
	`measurements` text NOT NULL,
	`model_file` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `thread_calibrations_key_idx` ON `thread_calibrations` (`hardware_fingerprint`,`build_id`,`size_class`);--> statement-breakpoint
ALTER TABLE `energy` ADD `prefill_joules` real;--> statement-breakpoint
ALTER TABLE `energy` ADD `decode_joules` real;--> statement-breakpoint
ALTER TABLE `energy` ADD `windowing` text;--> statement-breakpoint
ALTER TABLE `results` ADD `first_token_at` integer;--> statement-breakpoint
ALTER TABLE `results` ADD `prefill_j` real;--> statement-breakpoint
ALTER TABLE `results` ADD `decode_j` real;--> statement-breakpoint
ALTER TABLE `runs` ADD `energy_basis` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `engine` text;--> statement-breakpoint
ALTER TABLE `samples` ADD `process_cpu_percent` real;