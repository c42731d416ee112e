// StewardStore
