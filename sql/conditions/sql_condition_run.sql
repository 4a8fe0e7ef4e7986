-- Runs a SQL condition's query through lamplighter.run_condition (migration V6), which executes
-- it as the condition role and returns each row as a json object, columns in order.
-- Positional parameter: the query.
SELECT CAST(row_json AS text) AS row_json
FROM lamplighter.run_condition(CAST(? AS text)) AS row_json
