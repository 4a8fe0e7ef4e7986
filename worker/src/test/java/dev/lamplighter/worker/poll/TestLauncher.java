package dev.lamplighter.worker.poll;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import java.util.concurrent.atomic.AtomicInteger;

/** A launcher whose answer a test sets; counts its checks. */
final class TestLauncher implements Launcher {

    interface Answer {
        Decision answer(LaunchContext ctx) throws Exception;
    }

    private final String name;
    private volatile Answer answer;
    final AtomicInteger checks = new AtomicInteger();

    TestLauncher(String name, Answer answer) {
        this.name = name;
        this.answer = answer;
    }

    static TestLauncher launching(String name) {
        return new TestLauncher(name, ctx -> Decision.launch(java.util.Map.of("slot", ctx.slot().toString()), "work is waiting"));
    }

    void answer(Answer answer) {
        this.answer = answer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void validateParams(Params params) {
        params.longValue("threshold", 10, 1, 1_000_000);
    }

    @Override
    public Decision checkConditions(LaunchContext ctx) throws Exception {
        checks.incrementAndGet();
        return answer.answer(ctx);
    }
}
