namespace Coup.Nodes.CandidateOrdinary;

/// <summary>
/// "일반 프로세스는 모든 후보 노드에 메시지를 전송해 선출 작업을 시작한다" (seed 004: an
/// ordinary process starts an election by messaging every candidate). <see cref="Term"/> is the sender's.
/// </summary>
public sealed record Election : Message
{
    public required long Term { get; init; }
}

/// <summary>
/// "새로운 리더는 자신이 리더임을 브로드캐스트 한다" (seed 004: the new leader broadcasts that it
/// leads); repeated as its heartbeat.
/// </summary>
public sealed record Coordinator : Message
{
    public required long Term { get; init; }
}
