using Coup.Faults;

namespace Coup.Faults.Tests;

public class ClockStrobeTests
{
    private static readonly IReadOnlyList<string> Three = ["n1", "n2", "n3"];
    private const long NsPerMs = 1_000_000;

    private static ClockStrobe Parsed(string text)
    {
        var strobe = ClockStrobe.Parse(text, out var problem);
        Assert.Null(problem);
        return strobe!;
    }

    [Fact]
    public void Given_the_bare_name_When_parsed_Then_it_strobes_the_leader_by_the_defaults()
    {
        var strobe = Parsed("clock-strobe");

        Assert.Equal((200, 1000, NodeTargetKind.Leader), (strobe.DeltaMs, strobe.PeriodMs, strobe.Target.Kind));
        Assert.Equal("clock-strobe", strobe.ToString());
    }

    [Fact]
    public void Given_figures_and_a_target_When_parsed_Then_they_are_kept_and_named_back()
    {
        var strobe = Parsed("clock-strobe=500ms/2000ms:n1+n3");

        Assert.Equal((500, 2000), (strobe.DeltaMs, strobe.PeriodMs));
        Assert.Equal(["n1", "n3"], strobe.Target.Listed);
        Assert.Equal("clock-strobe=500ms/2000ms:n1+n3", strobe.ToString());
        Assert.Equal(0.5, strobe.Forward.OffsetS);
    }

    [Theory]
    [InlineData("clock-strobe=0ms/1000ms", "clock-strobe=0ms/1000ms: the delta must be 1-60000 ms, got 0")]
    [InlineData("clock-strobe=60001ms/1000ms", "the delta must be 1-60000 ms, got 60001")]
    [InlineData("clock-strobe=200ms/999ms", "the period must be 1000-10000 ms")]
    [InlineData("clock-strobe=200ms/10001ms", "the period must be 1000-10000 ms")]
    [InlineData("clock-strobe=200/1000", "the strobe must be DELTAms/PERIODms")]
    [InlineData("clock-strobe=200ms", "the strobe must be DELTAms/PERIODms")]
    [InlineData("clock-strobe:n1+n1", "clock-strobe: target 'n1+n1' names a node twice")]
    [InlineData("clock-strobes", "unknown clock fault 'clock-strobes'")]
    public void Given_a_bad_spec_When_parsed_Then_one_line_says_why(string text, string reason)
    {
        Assert.Null(ClockStrobe.Parse(text, out var problem));

        Assert.Contains(reason, problem);
        Assert.DoesNotContain('\n', problem!);
    }

    [Fact]
    public void Given_a_strobe_in_the_nemesis_When_planned_Then_its_clock_change_is_its_jump_and_others_keep_draws()
    {
        var strobe = new FaultChoice(FaultKind.Clock, Strobe: Parsed("clock-strobe=300ms/1000ms"));

        var withStrobe = FaultSchedule.Plan([strobe, FaultKind.Kill], 60, 10, 7);
        var clockOnly = FaultSchedule.Plan([FaultKind.Clock], 60, 10, 7);

        Assert.All(withStrobe.Where(f => f.Kind == FaultKind.Clock), f => Assert.Equal(0.3, f.Clock!.OffsetS));
        Assert.All(withStrobe.Where(f => f.Kind == FaultKind.Clock), f => Assert.Same(strobe.Strobe, f.Strobe));
        Assert.All(clockOnly, f => Assert.Null(f.Strobe));
    }

    [Fact]
    public void Given_a_planned_strobe_When_the_nemesis_plays_it_Then_it_steps_forward_and_back_each_period_and_heals()
    {
        var fault = new PlannedFault
        {
            StartS = 1,
            HoldS = 3.5,
            Kind = FaultKind.Clock,
            Target = TargetChoice.Leader,
            ChoiceSeed = 3,
            Strobe = Parsed("clock-strobe=200ms/1000ms:n2"),
            Clock = Parsed("clock-strobe=200ms/1000ms:n2").Forward,
        };
        var nemesis = new Nemesis([fault], Three);
        var actions = new List<(long AtMs, NemesisAction Action)>();

        var nowNs = 0L;
        while (nemesis.DueNs is { } dueNs)
        {
            // As the player does: step at the due time until the nemesis has nothing more to do.
            nowNs = Math.Max(nowNs, dueNs);
            while (nemesis.Step(nowNs, []) is { Count: > 0 } step)
            {
                foreach (var action in step)
                {
                    actions.Add((nowNs / NsPerMs, action));
                    if (action is HealFault heal)
                    {
                        nemesis.Healed(heal.Part);
                    }
                }
            }
        }

        Assert.Equal(
            ["1000 apply", "2000 step 1", "3000 step 2", "4000 step 3", "4500 heal"],
            actions.Select(a => a.AtMs + " " + a.Action switch
            {
                ApplyFault => "apply",
                StepClock step => $"step {step.Step}",
                HealFault => "heal",
                _ => "other",
            }));
        var applied = Assert.IsType<ApplyFault>(actions[0].Action).Part;
        Assert.Equal(["n2"], applied.Targets);
        Assert.Equal("strobe +200 ms every 1000 ms on n2", applied.Detail);
        Assert.Equal([true, false, true, false], new[] { 0, 1, 2, 3 }.Select(ClockStrobe.IsForward));
        Assert.Equal(
            "strobe +200 ms every 1000 ms on n2; 4 steps",
            Assert.IsType<HealFault>(actions[^1].Action).Part.Detail);
    }
}
