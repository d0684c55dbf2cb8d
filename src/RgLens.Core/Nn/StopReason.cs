namespace RgLens.Nn;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>The monitored loss did not improve for <see cref="TrainerOptions.Patience"/> epochs.</summary>
    EarlyStopped,

    /// <summary>The loss became NaN or infinite; the result holds the last good network.</summary>
    Diverged,
}
