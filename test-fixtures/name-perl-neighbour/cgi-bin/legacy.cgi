#!/usr/bin/perl
print "Content-Type: text/plain\n\nperl, not node\n";
