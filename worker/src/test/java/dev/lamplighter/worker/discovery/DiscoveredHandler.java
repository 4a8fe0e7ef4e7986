package dev.lamplighter.worker.discovery;

import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import java.util.Map;

/** Listed in META-INF/services/dev.lamplighter.JobHandler of the test classpath. */
public final class DiscoveredHandler implements JobHandler {
    @Override
    public String jobType() {
        return "discovered";
    }

    @Override
    public Map<String, Object> run(JobContext ctx) {
        return Map.of("handled_by", "DiscoveredHandler");
    }
}
