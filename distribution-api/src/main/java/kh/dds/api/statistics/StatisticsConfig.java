package kh.dds.api.statistics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the population statistics (SPEC §4.4). */
@ConfigMapping(prefix = "api.statistics")
public interface StatisticsConfig {

    /**
     * A perturbation table in disclosure-control's CSV format (a file path); none: the module's default (0 stays 0,
     * never below 0, at most 3, mean 0). Its key range must be the replica's record keys' (256).
     */
    Optional<String> perturbationTable();

    /**
     * How long an API node's aggregate of today may still answer after the data changed, with its own (older)
     * {@code dataAsOf}, while a newer one is read (default 30 s; 0: only the current data's aggregate answers).
     */
    @WithDefault("30s")
    Duration todayMaxStaleness();

    /** The most cells an answer may have (its table, before margins); a larger one is refused (default 5,000). */
    @WithDefault("5000")
    int maxCells();
}
