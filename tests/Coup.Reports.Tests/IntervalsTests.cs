using Coup.History;

namespace Coup.Reports.Tests;

public sealed class IntervalsTests
{
    [Fact]
    public void GivenALeaderIsKilled_WhenRolesAreComputed_ThenItsIntervalEndsAtTheKillAndResumesAtItsNextReport()
    {
        var history = new HistoryBuilder(["n1", "n2", "n3"], ["kill"])
            .State(1, "n1", Roles.Leader, 1)
            .Fault(4, "start", FaultKinds.Kill, "n1")
            .Fault(6, "stop", FaultKinds.Kill, "n1")
            .State(7, "n1", Roles.Follower, 2, "n2")
            .Build(10);

        var n1 = Intervals.Roles(history, "default").Where(i => i.Node == "n1").ToList();

        Assert.Equal(
            [new RoleInterval("n1", Roles.Leader, 1, 1, 4), new RoleInterval("n1", Roles.Follower, 2, 7, 10)],
            n1);
    }

    [Fact]
    public void GivenRepeatedReportsOfTheSameRoleAndTerm_WhenRolesAreComputed_ThenTheyMakeOneInterval()
    {
        var history = new HistoryBuilder(["n1"], [])
            .State(1, "n1", Roles.Leader, 1).State(2, "n1", Roles.Leader, 1).State(3, "n1", Roles.Leader, 2)
            .Build(5);

        Assert.Equal(
            [new RoleInterval("n1", Roles.Leader, 1, 1, 3), new RoleInterval("n1", Roles.Leader, 2, 3, 5)],
            Intervals.Roles(history, "default"));
    }

    [Fact]
    public void GivenAFaultNeverStopped_WhenFaultsArePaired_ThenItLastsToTheEndOfTheHistory()
    {
        var history = new HistoryBuilder(["n1", "n2", "n3"], ["pause", "partition"])
            .Fault(1, "start", FaultKinds.Pause, "n1")
            .Fault(2, "stop", FaultKinds.Pause, "n1")
            .Fault(3, "start", FaultKinds.Partition, "n3")
            .Build(8);

        var faults = Intervals.Faults(history);

        Assert.Equal(
            [(FaultKinds.Pause, 1.0, 2.0), (FaultKinds.Partition, 3.0, 8.0)],
            faults.Select(f => (f.Kind, f.StartS, f.EndS)));
    }
}
