"""Phone interviewing (CATI): call lists, the operator's next case, call outcomes with AAPOR dispositions,
appointments and retries (rules from the pure ``heed.fieldwork_rules.cati``), and AAPOR outcome rates per list
(``heed.stats.aapor``)."""
