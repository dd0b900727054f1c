using System.Threading.Tasks.Sources;

namespace Coup.Harness.Sim;

/// <summary>
/// A wait that an event on the virtual clock completes, taken from a pool and put back once both its awaiter
/// has its result and its completer is done with it: the workload's pacing and writes cost no task, closure
/// or delegate each. Its continuation runs inline where it is completed, as a <see cref="TaskCompletionSource"/>'s
/// does, so the run happens in the same order.
/// </summary>
internal sealed class ClockWait<T> : IValueTaskSource<T>
{
    private readonly Stack<ClockWait<T>> _pool;
    private ManualResetValueTaskSourceCore<T> _core;
    private CancellationTokenRegistration _cancelled;
    private T _onElapsed = default!;
    private T _onCancelled = default!;
    private bool _completed;
    /// <summary>Who still uses it: its awaiter, and its completer (a clock event, a write's answer).</summary>
    private int _holders;

    private ClockWait(Stack<ClockWait<T>> pool)
    {
        _pool = pool;
        Elapsed = () => Complete(_onElapsed);
        Completer = Complete;
    }

    /// <summary>Completes the wait with the result given to <see cref="Start"/>: an action for the clock.</summary>
    public Action Elapsed { get; }

    /// <summary>Completes the wait with its argument unless something did first: its completer's one call.</summary>
    public Action<T> Completer { get; }

    /// <summary>
    /// A wait from <paramref name="pool"/> that <see cref="Elapsed"/> completes with <paramref name="onElapsed"/>
    /// or <see cref="Completer"/> with its argument, unless <paramref name="cancellation"/> completes it first
    /// with <paramref name="onCancelled"/>.
    /// </summary>
    public static ClockWait<T> Start(
        Stack<ClockWait<T>> pool, T onElapsed, CancellationToken cancellation, T onCancelled)
    {
        var wait = pool.TryPop(out var pooled) ? pooled : new ClockWait<T>(pool);
        wait._onElapsed = onElapsed;
        wait._completed = false;
        wait._holders = 2;
        if (cancellation.CanBeCanceled)
        {
            wait._onCancelled = onCancelled;
            wait._cancelled = cancellation.UnsafeRegister(static w => ((ClockWait<T>)w!).Cancel(), wait);
        }
        return wait;
    }

    public ValueTask<T> Task => new(this, _core.Version);

    private void Cancel()
    {
        if (!_completed)
        {
            _completed = true;
            _core.SetResult(_onCancelled);
        }
    }

    private void Complete(T result)
    {
        if (!_completed)
        {
            _completed = true;
            _cancelled.Dispose();
            _cancelled = default;
            _core.SetResult(result);
        }
        Release();
    }

    private void Release()
    {
        if (--_holders == 0)
        {
            _cancelled.Dispose();
            _cancelled = default;
            _core.Reset();
            _pool.Push(this);
        }
    }

    public T GetResult(short token)
    {
        var result = _core.GetResult(token);
        Release();
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
