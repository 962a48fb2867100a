CREATE TABLE `energy` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`result_id` integer,
	`source` text NOT NULL,
	`domain` text NOT NULL,
	`boundary` text NOT NULL,
	`method` text NOT NULL,
	`joules` real NOT NULL,
	`net_joules` real,
	`mean_w` real,
	`peak_w` real,
	`idle_w` real,
	`counts_toward_total` integer DEFAULT true NOT NULL,
	`partial` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`result_id`) REFERENCES `results`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `energy_run_idx` ON `energy` (`run_id`);--> statement-breakpoint
CREATE TABLE `hardware` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fingerprint` text NOT NULL,
	`hostname` text NOT NULL,
	`cpu_model` text NOT NULL,
	`cpu_cores` integer NOT NULL,
	`cpu_threads` integer NOT NULL,
	`memory_bytes` integer NOT NULL,
	`gpus` text NOT NULL,
	`os` text NOT NULL,
	`arch` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hardware_fingerprint_idx` ON `hardware` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`name` text,
	`size_bytes` integer NOT NULL,
	`architecture` text,
	`parameters` integer,
	`type` text,
	`context_length` integer,
	`has_chat_template` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_sha256_idx` ON `models` (`sha256`);--> statement-breakpoint
CREATE TABLE `results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`prompt_id` text NOT NULL,
	`prompt_index` integer NOT NULL,
	`rep` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`ttft_ms` real NOT NULL,
	`prompt_tokens_per_sec` real NOT NULL,
	`gen_tokens_per_sec` real,
	`inter_token_p50_ms` real,
	`inter_token_p95_ms` real,
	`e2e_ms` real NOT NULL,
	`stop_reason` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`output` text NOT NULL,
	`energy_j` real,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `results_run_idx` ON `results` (`run_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`status` text NOT NULL,
	`model_id` integer NOT NULL,
	`hardware_id` integer NOT NULL,
	`suite` text NOT NULL,
	`label` text,
	`threads` integer NOT NULL,
	`reps` integer NOT NULL,
	`warmup` integer NOT NULL,
	`context_size` integer NOT NULL,
	`max_tokens` integer,
	`seed` integer NOT NULL,
	`prompt_format` text NOT NULL,
	`settings` text NOT NULL,
	`runtime` text NOT NULL,
	`pid` integer NOT NULL,
	`pid_start_ticks` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`load_ms` real,
	`peak_rss_bytes` integer,
	`error` text,
	`gen_tokens_per_sec` real,
	`ttft_ms` real,
	`joules_per_token` real,
	`total_j` real,
	`energy_source` text,
	`output_tokens` integer,
	`summary` text,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hardware_id`) REFERENCES `hardware`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`);--> statement-breakpoint
CREATE INDEX `runs_model_idx` ON `runs` (`model_id`);--> statement-breakpoint
CREATE INDEX `runs_hardware_idx` ON `runs` (`hardware_id`);--> statement-breakpoint
CREATE INDEX `runs_started_idx` ON `runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`t` integer NOT NULL,
	`phase` text NOT NULL,
	`prompt_index` integer,
	`cpu_percent` real,
	`rss_bytes` integer,
	`mem_used_bytes` integer,
	`tokens_generated` integer,
	`power_w` real,
	`power` text,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `samples_run_t_idx` ON `samples` (`run_id`,`t`);