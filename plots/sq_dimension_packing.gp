# Claim SQ1, figure: certified SQ-dimension lower bound (greedy packing size d: d members with
# pairwise |<h_i,h_j>| <= 1/d, exact Gram) vs p for the multiplicative classes {phi(a x mod p)}
# (solid) and the additive control {phi(x + a)} (dashed), with (p-1)/2 and the mass guarantee;
# right: parities of degree k on {-1,+1}^n (= C(n,k)) and the conjunction control.
# Reads resdir/sq_dimension.csv (group,phi,p,k,members,d,maxoff,offmass,guarantee) and resdir/fits.gp.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")
set datafile separator comma
load resdir."/fits.gp"
f = resdir."/sq_dimension.csv"
nm(i) = i == 0 ? "cos(2πy/p)" : i == 1 ? "y/p" : "y mod 2"
ph(i) = i == 0 ? "cos" : i == 1 ? "linear" : "parity"
set grid
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,600 font ",10"; set output figdir."/sq_dimension_packing.png" }
  if (fmt eq "svg") { set terminal svg size 1300,600 font ",10"; set output figdir."/sq_dimension_packing.svg" }
  set multiplot layout 1,2 title "SQ1: certified SQ-dimension lower bounds (exact Gram, greedy packing)"
  set logscale xy
  set xlabel "modulus p"
  set ylabel "packing size d"
  set key top left font ",8"
  set title "Z_p classes: multiplicative (solid) vs additive control (dashed)"
  plot for [i=0:2] f skip 1 using 3:(($1 == 0 && $2 == i) ? $6 : 1/0) with linespoints lw 2 pt 7 lc i+1 \
         title sprintf("{%s(ax)}: slope %.2f ± %.2f", nm(i), value("slope_mul_".ph(i)), value("se_mul_".ph(i))), \
       for [i=0:2] f skip 1 using 3:(($1 == 1 && $2 == i) ? $6 : 1/0) with linespoints lw 2 dt 2 pt 6 lc i+1 \
         title sprintf("{%s(x+a)}: slope %.2f", nm(i), value("slope_add_".ph(i))), \
       for [i=1:2] f skip 1 using 3:(($1 == 0 && $2 == i) ? $9 : 1/0) with points pt 2 ps 0.8 lc i+1 \
         title sprintf("guarantee d(1+Md^2) ≤ p-1, %s", nm(i)), \
       (x - 1) / 2 with lines lw 1 lc rgb "black" dt 4 title "(p-1)/2"
  unset logscale x
  set logscale y
  set xlabel "degree k"
  set title "{-1,+1}^n: parities (= C(n,k)) and conjunctions (control)"
  plot f skip 1 using 4:($1 == 2 ? $5 : 1/0) with lines lw 1 dt 3 lc rgb "black" title "C(n,k)", \
       f skip 1 using 4:($1 == 2 ? $6 : 1/0) with points pt 7 ps 1.2 lc 1 title "parities: packing", \
       f skip 1 using 4:($1 == 3 ? $6 : 1/0) with linespoints pt 6 lw 2 lc 2 title "conjunctions: packing"
  unset multiplot
  unset output
}
