CREATE TABLE `run_series` (
	`run_id` integer PRIMARY KEY NOT NULL,
	`max_points` integer NOT NULL,
	`sample_count` integer NOT NULL,
	`series` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
