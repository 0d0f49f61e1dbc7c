// Intentionally empty: see tsconfig.node.json ("electron" is not available to the engine).
