namespace Coup.Reports.Matrix;

/// <summary>
/// Everything a matrix store shows beside <c>matrix.json</c>: junit.xml, comparison.html and the store's
/// index.html, and with a baseline the regression alarm in all three. <c>coup matrix</c> writes them for its
/// shard, <c>coup merge</c> for the merged result.
/// </summary>
public static class MatrixOutputs
{
    public const string JUnitFile = "junit.xml";

    /// <summary>Writes the files; returns the alarm against <paramref name="baseline"/>, null without one.</summary>
    public static Alarm? Write(string storeRoot, MatrixResult result, MatrixResult? baseline)
    {
        var alarm = baseline is null ? null : RegressionAlarm.Compare(result, baseline);
        MatrixJUnit.Write(Path.Combine(storeRoot, JUnitFile), result, alarm);
        ComparisonPage.Write(storeRoot, result, alarm);
        StoreIndex.Write(storeRoot);
        return alarm;
    }
}
