-- How many of the race's node processes have announced themselves.
SELECT count(*)
FROM lamplighter.nodes
WHERE node_id LIKE 'race-process-%'
