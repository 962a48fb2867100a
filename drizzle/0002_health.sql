CREATE TABLE `run_series` (
	`run_id` integer PRIMARY KEY NOT NULL,
	`max_points` integer NOT NULL,
	`sample_count` integer NOT NULL,
	`series` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `runs_hardware_idx`;--> statement-breakpoint
CREATE INDEX `runs_hardware_status_started_idx` ON `runs` (`hardware_id`,`status`,`started_at`);--> statement-breakpoint
ALTER TABLE `energy` ADD `estimate_model` text;--> statement-breakpoint
-- Rows written before the column named the estimate's model only in their note ("…; estimate: <model>"):
-- move it to the column once, so that no reader parses notes.
UPDATE `energy` SET `estimate_model` = substr(`note`, instr(`note`, 'estimate: ') + length('estimate: '))
 WHERE `estimate_model` IS NULL AND `method` = 'modelled'
   AND (`note` LIKE 'estimate: %' OR `note` LIKE '%; estimate: %');
