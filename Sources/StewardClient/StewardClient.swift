// StewardClient
