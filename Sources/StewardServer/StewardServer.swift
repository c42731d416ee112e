// StewardServer
