-- The node's database, owned by its role, so that the node creates and migrates its own schema.
CREATE DATABASE lamplighter OWNER lamplighter
