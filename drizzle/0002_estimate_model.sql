ALTER TABLE `energy` ADD `estimate_model` text;--> statement-breakpoint
-- Rows written before the column named the estimate's model only in their note ("…; estimate: <model>"):
-- move it to the column once, so that no reader parses notes.
UPDATE `energy` SET `estimate_model` = substr(`note`, instr(`note`, 'estimate: ') + length('estimate: '))
 WHERE `estimate_model` IS NULL AND `method` = 'modelled'
   AND (`note` LIKE 'estimate: %' OR `note` LIKE '%; estimate: %');
