"""Finding passages: the embedding model, the vector store, the lexical (BM25) indexes, document
routing, hybrid fusion, the passage judge and near-duplicate collapsing."""
