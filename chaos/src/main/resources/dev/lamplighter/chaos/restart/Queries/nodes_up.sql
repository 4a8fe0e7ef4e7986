SELECT count(*) FROM lamplighter.nodes WHERE node_id = ANY(:ids)
