using System.Diagnostics;

namespace Coup.Harness.Docker;

/// <summary>
/// When each step of a cluster's start or teardown was done, counted from the start or teardown's
/// beginning, so the bench can show where the time goes. A step done by several nodes at once is
/// done when the last of them is.
/// </summary>
public sealed class StepTimes
{
    private readonly Stopwatch _clock = new();
    private readonly List<(string Step, TimeSpan DoneAt)> _doneAt = [];

    /// <summary>The steps in the order they were first done, each with when its last part was done.</summary>
    public IReadOnlyList<(string Step, TimeSpan DoneAt)> Steps
    {
        get
        {
            lock (_doneAt)
            {
                return [.. _doneAt];
            }
        }
    }

    public void Begin()
    {
        lock (_doneAt)
        {
            _doneAt.Clear();
            _clock.Restart();
        }
    }

    public void Done(string step)
    {
        lock (_doneAt)
        {
            var index = _doneAt.FindIndex(s => s.Step == step);
            if (index < 0)
            {
                _doneAt.Add((step, _clock.Elapsed));
            }
            else
            {
                _doneAt[index] = (step, _clock.Elapsed);
            }
        }
    }
}
