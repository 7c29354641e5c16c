#!/bin/sh
# The Chinese statements keep the conventions of exercises/GLOSSARY.zh.md:
# full-width punctuation in Chinese text and spaces around code and English,
# none of the terms the glossary rules out, the English beside a term at its
# first use where the glossary says so, and a "课程笔记：" line naming
# sections of the course note, the same ones as the English statement's
# "Course note:" line.  The terms, the sections and the forms come from the
# glossary's tables, so a new exercise and a new term are checked the same way;
# every exercise (a folder with a spec.yaml) must have its README.zh.md.
set -u
cd "$(dirname "$0")/.."
glossary=exercises/GLOSSARY.zh.md
pass=0 fail=0

# zh_lint MODE FILE [ENGLISH_FILE]: prints what breaks the rule, one line
# each; exits 1 when something does.  Code blocks are skipped and code spans
# count as a word of English (a span must open and close on one line).
zh_lint() {
	GLOSSARY=$glossary perl -CSDA -Mutf8 -we '
use strict;
my ($mode, $file, $en) = @ARGV;
my $han = qr/\p{sc=Han}/;
my $fw = qr/[\x{3001}-\x{303f}\x{ff01}-\x{ff60}\x{201c}\x{201d}]/;
my $half = qr/[,:;?!()"]/;
my $clause = qr/[^,:;?!()"|\x{3001}-\x{303f}\x{ff01}-\x{ff60}\x{201c}\x{201d}]*/;
my $bad = 0;
sub complain { print "$_[0]\n"; $bad = 1 }

# lines outside code blocks, and Chinese comments in code blocks, as
# [number, text]
sub prose {
	my ($path) = @_;
	open(my $fh, "<", $path) or die "$path: $!\n";
	my ($in, @out) = (0);
	while (my $l = <$fh>) {
		chomp $l;
		if ($l =~ /^\s*```/) { $in = !$in; next }
		if (!$in) { push @out, [$., $l] }
		elsif ($l =~ m{(?:^|\s)(?:#|//|/\*)\s+(.*$han.*?)(?:\s*\*/)?$}) { push @out, [$., $1] }
	}
	return @out;
}
# a line with its code spans and link targets replaced by "C" (English)
sub plain {
	my ($l) = @_;
	$l =~ s/``.+?``/C/g;
	$l =~ s/`[^`]*`/C/g;
	$l =~ s/\]\([^)\s]*\)/]/g;
	return $l;
}
# rows of the markdown table under the heading "## $title": lists of cells
sub table {
	my ($title) = @_;
	my ($in, @rows) = (0);
	for (prose($ENV{GLOSSARY})) {
		my $l = $_->[1];
		if ($l =~ /^## /) { $in = ($l eq "## $title"); next }
		next unless $in && $l =~ /^\|(.*)\|\s*$/;
		my @c = map { s/^\s+|\s+$//gr } split /\|/, $1, -1;
		push @rows, [@c] unless $c[0] =~ /^-+$/;
	}
	shift @rows;	# the header
	die "glossary: no table under \"## $title\"\n" unless @rows;
	return @rows;
}
sub sections {
	my %s;
	for (prose($ENV{GLOSSARY})) {
		$s{$1} = 1 if $_->[1] =~ /^- \x{201c}(.+?)\x{201d}/;
	}
	die "glossary: no section titles\n" unless %s;
	return %s;
}
sub quoted { my @q = $_[0] =~ /\x{201c}(.+?)\x{201d}/g; return @q }
# the paragraphs of a file (lines joined) that begin with $start
sub paragraphs {
	my ($path, $start) = @_;
	my ($cur, @out);
	for ((prose($path)), [0, ""]) {
		my $l = $_->[1];
		if ($l =~ /^\s*$/) { push @out, $cur if defined $cur; undef $cur; next }
		if (defined $cur) { $cur .= $l } elsif ($l =~ /^\Q$start\E/) { $cur = $l }
	}
	return @out;
}
# a line with the note section titles it quotes replaced by “T”
sub untitled {
	my ($l, $titles) = @_;
	$l =~ s/\x{201c}\Q$_\E\x{201d}/\x{201c}T\x{201d}/g for keys %$titles;
	return $l;
}

if ($mode eq "punct") {
	my %titles = sections();
	my @lines = prose($file);
	# does line $i continue the paragraph (or list item) of line $i - 1?
	my $continues = sub {
		my ($i) = @_;
		return 0 if $i < 1 || $i > $#lines || $lines[$i][0] != $lines[$i - 1][0] + 1;
		return $lines[$i - 1][1] !~ /^\s*(?:#|\||$)/
		    && $lines[$i][1] !~ /^\s*(?:[-*#|]|\d+\.|$)/;
	};
	for my $i (0 .. $#lines) {
		my ($n, $l) = @{$lines[$i]};
		my $t = $l =~ s/``.+?``//gr;
		if (($t =~ tr/`//) % 2) { complain("$n: a code span does not close on its line"); next }
		my $p = plain($l);
		# a clause may go on from the line before or into the next one
		my $prev = $continues->($i) ? plain($lines[$i - 1][1]) : "";
		my $next = $continues->($i + 1) ? plain($lines[$i + 1][1]) : "";
		while ($p =~ /$half/g) {
			my $at = pos($p) - 1;
			# the clause around the mark, up to the next marks either side
			my ($left) = ($prev . substr($p, 0, $at)) =~ /($clause)$/;
			my ($right) = (substr($p, $at + 1) . $next) =~ /^($clause)/;
			my $before = $at > 0 ? substr($p, $at - 1, 1) : "";
			my $after = substr($p, $at + 1, 1);
			if ("$left$right" =~ $han || "$before$after" =~ $fw) {
				complain(sprintf "%d: half-width \"%s\" in Chinese text: %s",
				         $n, substr($p, $at, 1), $l);
				last;
			}
		}
		# section titles of the note are quoted as the note spells them
		$p = untitled($p, \%titles);
		complain("$n: no space between Chinese and code or English: $l")
			if $p =~ /$han[A-Za-z0-9]|[A-Za-z0-9]$han/;
		# indentation, list markers and table cells keep their spaces
		$p =~ s/^\s*(?:[-*]|\d+\.)?\s*//;
		complain("$n: a space next to full-width punctuation: $l")
			if $p =~ /(?<=\S)(?<!\|) $fw|$fw (?=[^\s|])/;
	}
} elsif ($mode eq "terms") {
	my %titles = sections();
	my @banned = map { $_->[0] } table("不用的词");
	for (prose($file)) {
		my ($n, $l) = @$_;
		my $p = untitled(plain($l), \%titles);
		for my $w (@banned) {
			complain("$n: \"$w\" (the glossary rules it out): $l") if index($p, $w) >= 0;
		}
	}
	for my $row (table("术语")) {
		my $form = $row->[3] =~ s/`//gr;
		next if $form eq "";
		my $term = $row->[1] =~ s/（.*//r;
		my $note = 0;
		for (prose($file)) {
			my ($n, $l) = @$_;
			$note = $l =~ /^课程笔记：/ || $note && $l !~ /^\s*$/;
			next if $note || $l =~ /^#/;
			my $p = plain($l);
			my $at = index($p, $term);
			next if $at < 0;
			complain("$n: the first \"$term\" is not written \"$form\": $l")
				unless substr($p, $at, length $form) eq $form;
			last;
		}
	}
} elsif ($mode eq "note") {
	my %known = sections();
	my @zh = paragraphs($file, "课程笔记：本题改编自\x{201c}");
	my @en = paragraphs($en, "Course note: this exercise ports the section \x{201c}");
	complain("$file: no line \"课程笔记：本题改编自“…”一节\"") unless @zh == 1;
	complain("$en: no line \"Course note: this exercise ports the section “…”\"") unless @en == 1;
	exit 1 if $bad;
	my @a = quoted($zh[0]);
	my @b = quoted($en[0]);
	for (@a, @b) { complain("“$_” is not a section of the course note (glossary)") unless $known{$_} }
	complain("the sections differ: zh “" . join("”“", @a) . "”, en “" . join("”“", @b) . "”")
		unless join("\n", @a) eq join("\n", @b);
} else { die "zh_lint: unknown mode $mode\n" }
exit $bad;
' "$@"
}

check() { # description command...
	what=$1; shift
	if out=$("$@" 2>&1); then
		pass=$((pass + 1)); echo "ok   $what"
	else
		fail=$((fail + 1)); echo "FAIL $what"
		printf '%s\n' "$out" | head -12 | sed 's/^/     /'
	fi
}

check "glossary: punctuation and spaces" zh_lint punct "$glossary"
for spec in exercises/*/spec.yaml; do
	dir=$(dirname "$spec") ex=$(basename "$(dirname "$spec")")
	zh=$dir/README.zh.md
	check "$ex: has a Chinese statement" test -f "$zh"
	[ -f "$zh" ] || continue
	check "$ex: punctuation and spaces" zh_lint punct "$zh"
	check "$ex: terms of the glossary" zh_lint terms "$zh"
	check "$ex: names its section of the course note" \
		zh_lint note "$zh" "$dir/README.md"
done
echo "zh-style: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
