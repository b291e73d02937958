// Text for the vector PDF: jsPDF's standard fonts (Helvetica) cover Latin-1 only, so Greek letters and math signs in
// axis labels and legends are spelled out instead of printing as garbage. Pure.

const PDF_GLYPHS: Record<string, string> = {
  ε: 'eps', Δ: 'Delta ', η: 'eta', φ: 'phi', σ: 'sigma', λ: 'lambda', α: 'alpha', ρ: 'rho', '→': '->', '≥': '>=', '≤': '<=', '−': '-',
  '⁺': '+', '⁻': '-', '₁': '1', '₂': '2', '₃': '3', '⟨': '<', '⟩': '>', '⁰': '^0', '¹': '^1', '²': '^2', '³': '^3', '⁴': '^4', '⁵': '^5', '⁶': '^6', '⁷': '^7', '⁸': '^8', '⁹': '^9', '·': '.', '…': '...',
};

export function pdfSafeText(s: string): string {
  return s.replace(/[^\u0000-\u00ff]/g, (c) => PDF_GLYPHS[c] ?? '?');
}
