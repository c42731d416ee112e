// StewardCore
