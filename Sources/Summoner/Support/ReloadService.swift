import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration file on SIGHUP. A file that fails validation is refused with its
/// file:line message and the running configuration stays as it was.
public struct ReloadService<C: Clock>: Service where C.Duration == Duration {
    public let manager: InstanceManager<C>
    public let configPath: String
    public let logger: Logger

    public init(manager: InstanceManager<C>, configPath: String, logger: Logger) {
        self.manager = manager
        self.configPath = configPath
        self.logger = logger
    }

    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Reads, validates and applies the file once, logging the outcome.
    @discardableResult
    public func reload() async -> Result<ReloadReport, ConfigError> {
        let config: SummonerConfig
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            logger.error("reload refused, keeping the running configuration: \(error)")
            return .failure(error)
        }
        let report = await manager.reload(config)
        logger.info(
            "configuration reloaded",
            metadata: [
                "added": "\(report.added.joined(separator: ","))", "removed": "\(report.removed.joined(separator: ","))",
                "rebuilt": "\(report.rebuilt.joined(separator: ","))", "retuned": "\(report.retuned.joined(separator: ","))",
            ])
        if !report.needsRestart.isEmpty {
            logger.warning("changed settings take effect only after a restart: \(report.needsRestart.joined(separator: ", "))")
        }
        return .success(report)
    }
}
