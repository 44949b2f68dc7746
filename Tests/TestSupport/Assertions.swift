import GatewayKit
