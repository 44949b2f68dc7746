import GatewayKit
import Terminal
