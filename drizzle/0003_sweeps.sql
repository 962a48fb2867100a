ALTER TABLE `runs` ADD `sweep_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `sweep_index` integer;--> statement-breakpoint
CREATE INDEX `runs_sweep_idx` ON `runs` (`sweep_id`,`sweep_index`);