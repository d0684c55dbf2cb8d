namespace RgLens.Reporting.Correspondence;

/// <summary>One figure of the report: its file stem, caption and chart.</summary>
/// <param name="Name">File stem (the PNG and SVG files are Name.png and Name.svg).</param>
/// <param name="Caption">What the figure shows, in a sentence or two.</param>
/// <param name="Chart">The chart.</param>
public sealed record ReportFigure(string Name, string Caption, LineChart Chart);
