package kh.dds.api.statistics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the population statistics (SPEC §4.4). */
@ConfigMapping(prefix = "api.statistics")
public interface StatisticsConfig {

    /**
     * A perturbation table in disclosure-control's CSV format (a file path); none: the module's default (0 stays 0,
     * never below 0, at most 3, mean 0). Its key range must be the replica's record keys' (256).
     */
    Optional<String> perturbationTable();

    /** The most cells an answer may have (its table, before margins); a larger one is refused (default 5,000). */
    @WithDefault("5000")
    int maxCells();
}
