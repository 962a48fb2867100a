ALTER TABLE `results` ADD `server_timings` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `endpoint` text;