CREATE TABLE `machine_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hardware_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`fit` text NOT NULL,
	`run_ids` text NOT NULL,
	`held_out_gen_error` real,
	`held_out_prompt_error` real,
	FOREIGN KEY (`hardware_id`) REFERENCES `hardware`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `machine_profiles_hardware_idx` ON `machine_profiles` (`hardware_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `results` ADD `correct` integer;--> statement-breakpoint
ALTER TABLE `results` ADD `server_timings` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `sweep_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `sweep_index` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `endpoint` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `kind` text;--> statement-breakpoint
CREATE INDEX `runs_sweep_idx` ON `runs` (`sweep_id`,`sweep_index`);